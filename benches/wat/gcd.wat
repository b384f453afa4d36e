;; gcd, ABI 1 (the original WasmEngine's bench function, hand-written).
;;   {"a":"12","b":"18"} -> "6"
;; The input's first two runs of decimal digits are a and b (u64, wrapping past 2^64);
;; the output is gcd(a, b) in decimal. Fewer than two numbers: "error: a and b must be integers".
;; Exports gcd(ptr, len) -> (ptr, len), memory and __heap_base. The host grows memory by one
;; page and writes the input at __heap_base; the output lives in [OUT_START, OUT_END) below it.
(module
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 1024))

  ;; OUT_START = 16, OUT_END = 48: room for the 20 digits of the largest u64
  (data (i32.const 64) "error: a and b must be integers") ;; 31 bytes at ERROR = 64

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

  ;; Writes v in decimal so that it ends at OUT_END; returns the address of its first digit.
  (func $format (param $v i64) (result i32)
    (local $p i32)
    (local.set $p (i32.const 48))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i64.store8 (local.get $p) (i64.add (i64.rem_u (local.get $v) (i64.const 10)) (i64.const 48)))
      (local.set $v (i64.div_u (local.get $v) (i64.const 10)))
      (br_if $digit (i64.ne (local.get $v) (i64.const 0))))
    (local.get $p))

  (func (export "gcd") (param $ptr i32) (param $len i32) (result i32 i32)
    (local $end i32) (local $p i32) (local $a i64) (local $b i64) (local $out i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    (call $number (local.get $ptr) (local.get $end))
    (local.set $p)
    (local.set $a)
    (if (i32.eq (local.get $p) (i32.const -1))
      (then (return (i32.const 64) (i32.const 31))))
    (call $number (local.get $p) (local.get $end))
    (local.set $p)
    (local.set $b)
    (if (i32.eq (local.get $p) (i32.const -1))
      (then (return (i32.const 64) (i32.const 31))))
    (local.set $out (call $format (call $gcd (local.get $a) (local.get $b))))
    (local.get $out)
    (i32.sub (i32.const 48) (local.get $out))))
