;; Exports a function named like itself, but not with the ABI 1 type.
(module
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 1024))
  (func (export "wrong-type") (param i32) (result i32)
    (local.get 0)))
