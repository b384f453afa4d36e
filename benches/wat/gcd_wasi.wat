;; gcd, ABI 2: a WASI (preview 1) command (the original WasmEngine's bench function, hand-written).
;;   argv = ['{"a":"12","b":"18"}'] -> stdout "6"
;; The args JSON is argv[0] (no program name). Its first two runs of decimal digits are a and b
;; (u64, wrapping past 2^64); stdout is gcd(a, b) in decimal. Fewer than two numbers: the message
;; "error: a and b must be integers" on stderr and exit status 1.
;;
;; Memory layout: 0 argc, 4 argv buffer size, 8 iovec {ptr, len}, 16 nwritten,
;; [32, 64) output digits, 64 the error message, 1024 argv pointers then the argv buffer.
(module
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get" (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory (export "memory") 1)
  (data (i32.const 64) "error: a and b must be integers\n") ;; 32 bytes

  ;; Reads argv[0] into memory; returns (address, length), (0, 0) without arguments. Exits 1 on failure.
  (func $input (result i32 i32)
    (local $argc i32) (local $size i32) (local $buf i32) (local $pages i32) (local $p i32) (local $end i32)
    (if (call $args_sizes_get (i32.const 0) (i32.const 4)) (then (call $proc_exit (i32.const 1))))
    (local.set $argc (i32.load (i32.const 0)))
    (local.set $size (i32.load (i32.const 4)))
    (if (i32.eqz (local.get $argc)) (then (return (i32.const 0) (i32.const 0))))
    (local.set $buf (i32.add (i32.const 1024) (i32.shl (local.get $argc) (i32.const 2))))
    (local.set $end (i32.add (local.get $buf) (local.get $size)))
    (local.set $pages (i32.shr_u (i32.add (local.get $end) (i32.const 65535)) (i32.const 16)))
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

  ;; The first run of digits in [p, end): (its value, the address after it), or (0, -1) if none.
  (func $number (param $p i32) (param $end i32) (result i64 i32)
    (local $digit i32) (local $value i64)
    (block $found
      (loop $skip
        (if (i32.ge_u (local.get $p) (local.get $end))
          (then (return (i64.const 0) (i32.const -1))))
        (br_if $found (i32.lt_u (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)) (i32.const 10)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $skip)))
    (block $done
      (loop $digits
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $digit (i32.sub (i32.load8_u (local.get $p)) (i32.const 48)))
        (br_if $done (i32.ge_u (local.get $digit) (i32.const 10)))
        (local.set $value
          (i64.add (i64.mul (local.get $value) (i64.const 10)) (i64.extend_i32_u (local.get $digit))))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $digits)))
    (local.get $value)
    (local.get $p))

  ;; Euclid's algorithm on u64.
  (func $gcd (param $a i64) (param $b i64) (result i64)
    (local $t i64)
    (block $done
      (loop $step
        (br_if $done (i64.eqz (local.get $b)))
        (local.set $t (i64.rem_u (local.get $a) (local.get $b)))
        (local.set $a (local.get $b))
        (local.set $b (local.get $t))
        (br $step)))
    (local.get $a))

  ;; Writes v in decimal so that it ends at 64; returns the address of its first digit.
  (func $format (param $v i64) (result i32)
    (local $p i32)
    (local.set $p (i32.const 64))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.rem_u (local.get $v) (i64.const 10)) (i64.const 48)))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (local.get $p))

  (func (export "_start")
    (local $ptr i32) (local $end i32) (local $p i32) (local $a i64) (local $b i64) (local $out i32)
    (call $input)
    (local.set $end)
    (local.set $ptr)
    (local.set $end (i32.add (local.get $ptr) (local.get $end)))
    (call $number (local.get $ptr) (local.get $end))
    (local.set $p)
    (local.set $a)
    (if (i32.ne (local.get $p) (i32.const -1))
      (then
        (call $number (local.get $p) (local.get $end))
        (local.set $p)
        (local.set $b)))
    (if (i32.eq (local.get $p) (i32.const -1))
      (then
        (call $write_all (i32.const 2) (i32.const 64) (i32.const 32))
        (call $proc_exit (i32.const 1))))
    (local.set $out (call $format (call $gcd (local.get $a) (local.get $b))))
    (call $write_all (i32.const 1) (local.get $out) (i32.sub (i32.const 64) (local.get $out)))))
