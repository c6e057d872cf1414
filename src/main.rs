fn main() {
    op_console::boot();
}
