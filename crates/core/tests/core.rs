//! The one integration-test binary of fika-core: every rule and edge of METRICS.md, read
//! like the spec, plus properties, the worked example and a timing on a large program.

#[path = "core/support.rs"]
mod support;

#[path = "core/fidelity.rs"]
mod fidelity;
#[path = "core/outcomes.rs"]
mod outcomes;
#[path = "core/properties.rs"]
mod properties;
#[path = "core/questionnaire.rs"]
mod questionnaire;
#[path = "core/review.rs"]
mod review;
#[path = "core/speed.rs"]
mod speed;
#[path = "core/worked_example.rs"]
mod worked_example;
