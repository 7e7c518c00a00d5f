//! Mounts the playground; everything else is in the library, where tests can reach it.

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(leasekit_web::App);
}
