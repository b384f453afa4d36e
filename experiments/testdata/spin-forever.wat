;; ABI 1; never returns: an endless `loop ... br` running a xorshift64 generator whose state
;; is stored in a global every round (so no compiler can drop the body). Only the engine's
;; deadline / interruption can end a call.
(module
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 1024))
  (global $state (mut i64) (i64.const 0))
  (func (export "spin-forever") (param i32 i32) (result i32 i32)
    (local $x i64)
    (local.set $x (i64.const 88172645463325252))
    (loop $forever
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 13))))
      (local.set $x (i64.xor (local.get $x) (i64.shr_u (local.get $x) (i64.const 7))))
      (local.set $x (i64.xor (local.get $x) (i64.shl (local.get $x) (i64.const 17))))
      (global.set $state (local.get $x))
      (br $forever))
    unreachable))
