//! excerpts
