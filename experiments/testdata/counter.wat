;; ABI 1; counts the calls made on this instance in a mutable global and returns the new
;; count as decimal text. A fresh instance per call always answers "1"; a reused instance
;; answers "2", "3", ... Output lives in a static buffer at 16..32, below __heap_base.
(module
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 1024))
  (global $count (mut i32) (i32.const 0))
  ;; writes $n (unsigned) in decimal so that it ends at address 32; returns its start
  (func $decimal (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (i32.const 32))
    (loop $digit
      (local.set $p (i32.sub (local.get $p) (i32.const 1)))
      (i32.store8 (local.get $p)
        (i32.add (i32.const 48) (i32.rem_u (local.get $n) (i32.const 10))))
      (local.set $n (i32.div_u (local.get $n) (i32.const 10)))
      (br_if $digit (local.get $n)))
    (local.get $p))
  (func (export "counter") (param i32 i32) (result i32 i32)
    (local $start i32)
    (global.set $count (i32.add (global.get $count) (i32.const 1)))
    (local.set $start (call $decimal (global.get $count)))
    (local.get $start)
    (i32.sub (i32.const 32) (local.get $start))))
