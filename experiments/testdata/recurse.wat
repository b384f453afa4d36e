;; ABI 1 shape; recurses without end, so only the runtime's stack limit stops it.
(module
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 1024))
  (func $down (param i32) (result i32)
    (i32.add (call $down (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "recurse") (param i32 i32) (result i32 i32)
    (call $down (i32.const 0))
    (i32.const 0)))
