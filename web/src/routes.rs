//! Where each view lives in the URL: the fragment, so a static host serves every view from the
//! one `index.html` and switching views never asks the server for anything.
//!
//! - Build: its share link `#sdl=<base64url>` (see [`crate::share`]), or `#/build`, or nothing.
//! - Deploy: `#/deploy`.
//! - Deployments: `#/deployments`, one deployment `#/deployments/<dseq>`.
//!
//! A view switch pushes a history entry (Back returns to the view before), a share link pasted
//! into the address bar or Back/Forward moves the app without a reload. The route is a value
//! with a stable key ([`View::key`]); the nav's labels are only labels.

/// The app's views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum View {
    /// Builder, editor, diagnostics and outputs.
    Build,
    /// The deploy wizard.
    Deploy,
    /// The owner's deployments and their leases.
    Deployments,
}

impl View {
    /// All views, in the order of the nav.
    pub const ALL: [View; 3] = [View::Build, View::Deploy, View::Deployments];

    /// The nav button's label.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            View::Build => "Build",
            View::Deploy => "Deploy",
            View::Deployments => "Deployments",
        }
    }

    /// The stable key: the route's first path segment and the page's `data-view`.
    #[must_use]
    pub fn key(self) -> &'static str {
        match self {
            View::Build => "build",
            View::Deploy => "deploy",
            View::Deployments => "deployments",
        }
    }

    /// Whether the view needs the deploy half of the app (wallet, chain, signing).
    #[must_use]
    pub fn needs_deploy_half(self) -> bool {
        self != View::Build
    }
}

/// A place in the app: a view, and for Deployments optionally one deployment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Route {
    /// The view.
    pub view: View,
    /// The deployment `#/deployments/<dseq>` points at.
    pub dseq: Option<u64>,
}

impl Route {
    /// The Build view.
    pub const BUILD: Route = Route { view: View::Build, dseq: None };

    /// The route of `view` without a deployment.
    #[must_use]
    pub fn of(view: View) -> Self {
        Self { view, dseq: None }
    }

    /// The route a location fragment (with or without its `#`) addresses; `None` for a fragment
    /// that names no route of this app (the caller keeps the current view).
    #[must_use]
    pub fn parse(fragment: &str) -> Option<Self> {
        let fragment = fragment.strip_prefix('#').unwrap_or(fragment);
        let Some(path) = fragment.strip_prefix('/') else {
            // The empty fragment and a share link (`sdl=…`) are the Build view.
            return (fragment.is_empty() || crate::share::source_from_fragment(fragment).is_some())
                .then_some(Self::BUILD);
        };
        let path = path.split(['?', '&']).next().unwrap_or_default().trim_end_matches('/');
        let mut segments = path.split('/');
        let view = match segments.next()? {
            "" | "build" => View::Build,
            "deploy" => View::Deploy,
            "deployments" => View::Deployments,
            _ => return None,
        };
        let dseq = match (view, segments.next()) {
            (_, None) => None,
            (View::Deployments, Some(dseq)) => Some(dseq.parse().ok()?),
            (_, Some(_)) => return None,
        };
        if segments.next().is_some() {
            return None;
        }
        Some(Self { view, dseq })
    }

    /// The fragment (with its `#`) for this route. Build's is `#/build`; the playground replaces
    /// it with the share link of the current text.
    #[must_use]
    pub fn fragment(self) -> String {
        match self.dseq {
            Some(dseq) => format!("#/{}/{dseq}", self.view.key()),
            None => format!("#/{}", self.view.key()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_round_trips_through_its_fragment() {
        for view in View::ALL {
            let route = Route::of(view);
            assert_eq!(Route::parse(&route.fragment()), Some(route));
        }
        let one = Route { view: View::Deployments, dseq: Some(42) };
        assert_eq!(one.fragment(), "#/deployments/42");
        assert_eq!(Route::parse("#/deployments/42"), Some(one));
    }

    #[test]
    fn share_links_and_the_empty_fragment_are_the_build_view() {
        assert_eq!(Route::parse(""), Some(Route::BUILD));
        assert_eq!(Route::parse("#"), Some(Route::BUILD));
        assert_eq!(Route::parse(&crate::share::fragment_for("version: \"2.0\"\n")), Some(Route::BUILD));
        assert_eq!(Route::parse("#/"), Some(Route::BUILD));
        assert_eq!(Route::parse("#/build/"), Some(Route::BUILD));
    }

    #[test]
    fn unknown_fragments_name_no_route() {
        for fragment in ["#top", "#/nope", "#/deploy/3", "#/deployments/x", "#/deployments/1/2", "#/Deploy"] {
            assert_eq!(Route::parse(fragment), None, "{fragment}");
        }
    }
}
