//! The calls, one module per API category.
