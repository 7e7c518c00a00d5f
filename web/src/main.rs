//! Mounts the app; everything else is in the library, where tests can reach it.

fn main() {
    console_error_panic_hook::set_once();
    leasekit_web::start();
}
