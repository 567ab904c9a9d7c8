// Eye closure from appearance: a linear SVM over dlib's FHOG features of each eye (docs/decisions/0008).
// The landmark eyelid gap alone cannot tell a closed eye from an open one on small or grey photos: dlib's
// shape predictor, trained on open eyes, keeps a gap of 0.03–0.055 of the eye–chin distance for both. The
// model is a committed table (eye_closure_model.inc) that models/train_eye_closure.cpp writes from the
// labelled tuning half of ../shared/data and that a test rebuilds and compares.
#pragma once

#include <array>
#include <vector>

#include <opencv2/core.hpp>

#include "face/face_models.hpp"

namespace idphoto::face {

// Patch geometry: kEyePatchWidth × kEyePatchHeight grey pixels spanning 1.5 eye widths (outer to inner
// corner) around the mean of the eye's six landmarks, turned level with its corners; FHOG cells of
// kEyeCell px (dlib drops the border cells: (36/4 − 2) × (24/4 − 2) cells × 31 features = 868 values).
inline constexpr int kEyePatchWidth = 36;
inline constexpr int kEyePatchHeight = 24;
inline constexpr int kEyeCell = 4;
inline constexpr int kEyeFeatures = (kEyePatchWidth / kEyeCell - 2) * (kEyePatchHeight / kEyeCell - 2) * 31;

// first: 36 (image-left eye) or 42 (image-right eye, mirrored so that both look like an image-left eye).
// grey: 8-bit, lm in grey's pixel coordinates.
cv::Mat eye_patch(const cv::Mat& grey, const Landmarks68& lm, int first);
std::vector<double> eye_features(const cv::Mat& patch);  // kEyeFeatures values

// The committed model's decision value: > 0 = looks closed (the SVM's boundary), < 0 = open.
double eye_closure_score(const std::vector<double>& features);

// Scores of {image-left, image-right} eye.
std::array<double, 2> eye_closure_scores(const cv::Mat& grey, const Landmarks68& lm);

}  // namespace idphoto::face
