;; ABI 1 shape, but imports a host function the engine does not offer.
(module
  (import "env" "clock_ms" (func $clock (result i32)))
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 1024))
  (func (export "needs-env") (param i32 i32) (result i32 i32)
    (call $clock)
    (i32.const 0)))
