//! The one integration-test binary of fika-interchange.

#[path = "interchange/redcap.rs"]
mod redcap;
