//! Car photos as links a page can show: an address as it is, an uploaded
//! photo as short-lived links to its resized variants. Shared by every
//! function that shows cars (Inventory, the Mini App, the scenario test
//! chat), so an uploaded photo is resolved the same way everywhere.

use crate::dto::PhotoLink;
use cartie_domain::files::Variant;
use cartie_domain::inventory::{ListingInput, Photo};
use cartie_store::files::{Files, StoredFile};
use cartie_store::StoreError;
use std::collections::HashMap;

/// Who looks at the photos.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The dealer's own team: until the variants exist, the original.
    Team,
    /// Buyers (public pages, the bot): only the variants, which carry no
    /// metadata — an original may hold the camera's GPS position.
    Buyers,
}

/// The uploaded files behind some cars' photos, read with one
/// BatchGetItem; then [`PhotoLinks::link`] signs links without more reads.
pub struct PhotoLinks<'a> {
    files: &'a Files,
    found: HashMap<String, StoredFile>,
    audience: Audience,
}

impl<'a> PhotoLinks<'a> {
    /// Reads the uploads among `photos` of the workspace `ws`.
    pub async fn read<'p>(files: &'a Files, ws: &str, photos: impl IntoIterator<Item = &'p Photo>, audience: Audience) -> Result<PhotoLinks<'a>, StoreError> {
        let ids: Vec<&str> = photos.into_iter().filter_map(Photo::file_id).collect();
        let found = if ids.is_empty() { HashMap::new() } else { files.files(ws, &ids).await? };
        Ok(PhotoLinks { files, found, audience })
    }

    /// For every photo of the cars (`covers_only`: their first photo).
    pub async fn of_cars(files: &'a Files, ws: &str, cars: &[&ListingInput], covers_only: bool, audience: Audience) -> Result<PhotoLinks<'a>, StoreError> {
        let photos = cars.iter().flat_map(|c| if covers_only { &c.photos[..c.photos.len().min(1)] } else { &c.photos[..] });
        PhotoLinks::read(files, ws, photos, audience).await
    }

    /// How to show `photo`, or `None` when it cannot be shown (an upload
    /// that is gone, or whose variants buyers may see are not made yet).
    pub async fn link(&self, photo: &Photo) -> Result<Option<PhotoLink>, StoreError> {
        let file_id = match photo {
            Photo::Url(u) => return Ok(Some(PhotoLink { thumb: u.clone(), full: u.clone() })),
            Photo::Uploaded { file_id } => file_id,
        };
        let Some(f) = self.found.get(file_id).filter(|f| f.is_ready()) else { return Ok(None) };
        let variant = |v: Variant| f.variants.contains(&v).then_some(v);
        let (thumb, full) = match (variant(Variant::Thumb), variant(Variant::Large), self.audience) {
            (Some(t), Some(l), _) => (Some(t), Some(l)),
            (_, _, Audience::Team) => (None, None),
            (_, _, Audience::Buyers) => return Ok(None),
        };
        Ok(Some(PhotoLink { thumb: self.files.show_url(f, thumb).await?, full: self.files.show_url(f, full).await? }))
    }

    /// Links for a list of photos, in order (`None` where one cannot be shown).
    pub async fn links(&self, photos: &[Photo]) -> Result<Vec<Option<PhotoLink>>, StoreError> {
        let mut out = Vec::with_capacity(photos.len());
        for p in photos {
            out.push(self.link(p).await?);
        }
        Ok(out)
    }
}
