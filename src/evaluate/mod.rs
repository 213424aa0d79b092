//! Scores mofan computes from raw inputs the committee collects (docs/specification.md §8):
//! a panel's scores (评委打分, [`panel`]). Pure rules over what the store holds; the
//! selection uses their results as it uses reported scores.

pub mod panel;
