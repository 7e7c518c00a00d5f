//! The tenant's deploy flow (skeleton; see the crate description).
