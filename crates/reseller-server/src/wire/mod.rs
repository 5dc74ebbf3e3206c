//! The wire layer every endpoint shares: parameters in, replies and errors
//! out, in the API's own shapes.

pub mod error;
pub mod params;
pub mod reply;

pub use error::{Allowed, ApiError};
pub use params::Params;
pub use reply::Format;
