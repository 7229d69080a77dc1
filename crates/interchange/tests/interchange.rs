//! The one integration-test binary of fika-interchange.

#[path = "interchange/redcap.rs"]
mod redcap;

#[path = "interchange/check_ins.rs"]
mod check_ins;

#[path = "interchange/workbook.rs"]
mod workbook;
