;; ABI 1; memory declared with 2 initial pages and NO maximum. Returns memory.size in pages
;; as decimal text: "3" once the host has grown it by its one page. For tests of a memory
;; ceiling below (instantiation must fail) or above the declared initial size.
(module
  (memory (export "memory") 2)
  (global (export "__heap_base") i32 (i32.const 1024))
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
  (func (export "mem-pages") (param i32 i32) (result i32 i32)
    (local $start i32)
    (local.set $start (call $decimal (memory.size)))
    (local.get $start)
    (i32.sub (i32.const 32) (local.get $start))))
