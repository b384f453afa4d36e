;; echo_string, ABI 2: a WASI (preview 1) command (the original WasmEngine's bench function,
;; hand-written).   argv = ['{"x":"a"}'] -> stdout '{"x":"a"}b'
;; The args JSON is argv[0] (no program name); stdout is its bytes followed by 'b' (just "b"
;; without arguments).
;;
;; Memory layout: 0 argc, 4 argv buffer size, 8 iovec {ptr, len}, 16 nwritten,
;; 1024 argv pointers then the argv buffer (argv[0]'s NUL terminator becomes the 'b').
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)

  ;; Reads argv[0] into memory, with one spare byte after it; returns (address, length),
  ;; (1023, 0) without arguments. Exits 1 on failure.
  (func $input (result i32 i32)
    (local $argc i32) (local $size i32) (local $buf i32) (local $pages i32) (local $p i32) (local $end i32)
    (if (call $args_sizes_get (i32.const 0) (i32.const 4)) (then (call $proc_exit (i32.const 1))))
    (local.set $argc (i32.load (i32.const 0)))
    (local.set $size (i32.load (i32.const 4)))
    (if (i32.eqz (local.get $argc)) (then (return (i32.const 1023) (i32.const 0))))
    (local.set $buf (i32.add (i32.const 1024) (i32.shl (local.get $argc) (i32.const 2))))
    (local.set $end (i32.add (local.get $buf) (local.get $size)))
    (local.set $pages (i32.shr_u (i32.add (local.get $end) (i32.const 65536)) (i32.const 16)))
    (if (i32.gt_u (local.get $pages) (memory.size))
      (then
        (if (i32.eq (memory.grow (i32.sub (local.get $pages) (memory.size))) (i32.const -1))
          (then (call $proc_exit (i32.const 1))))))
    (if (call $args_get (i32.const 1024) (local.get $buf)) (then (call $proc_exit (i32.const 1))))
    ;; argv[0] is NUL-terminated inside the buffer
    (local.set $p (local.get $buf))
    (block $done
      (loop $scan
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (br_if $done (i32.eqz (i32.load8_u (local.get $p))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $scan)))
    (local.get $buf)
    (i32.sub (local.get $p) (local.get $buf)))

  ;; Writes all of [ptr, ptr + len) to fd; exits 1 if it cannot.
  (func $write_all (param $fd i32) (param $ptr i32) (param $len i32)
    (local $n i32)
    (block $done
      (loop $more
        (br_if $done (i32.eqz (local.get $len)))
        (i32.store (i32.const 8) (local.get $ptr))
        (i32.store (i32.const 12) (local.get $len))
        (if (call $fd_write (local.get $fd) (i32.const 8) (i32.const 1) (i32.const 16))
          (then (call $proc_exit (i32.const 1))))
        (local.set $n (i32.load (i32.const 16)))
        (if (i32.eqz (local.get $n)) (then (call $proc_exit (i32.const 1))))
        (local.set $ptr (i32.add (local.get $ptr) (local.get $n)))
        (local.set $len (i32.sub (local.get $len) (local.get $n)))
        (br $more))))

  (func (export "_start")
    (local $ptr i32) (local $len i32)
    (call $input)
    (local.set $len)
    (local.set $ptr)
    (i32.store8 (i32.add (local.get $ptr) (local.get $len)) (i32.const 98)) ;; 'b'
    (call $write_all (i32.const 1) (local.get $ptr) (i32.add (local.get $len) (i32.const 1)))))
