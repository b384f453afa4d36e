;; ABI 1 shape; traps on every call.
(module
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 1024))
  (func (export "trap") (param i32 i32) (result i32 i32)
    unreachable))
