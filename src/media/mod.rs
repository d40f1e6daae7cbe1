//! Leaf helpers that read assets: image metadata, office/PDF/XML text.

mod image;
mod office;
pub mod pdf;

pub use image::{gps_position, strip_metadata};
pub use office::{AssetKind, OfficeText, Place, decode_entities, kind_of, office_text};
