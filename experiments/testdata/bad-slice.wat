;; ABI 1 shape; claims its output lies far beyond its memory.
(module
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 1024))
  (func (export "bad-slice") (param i32 i32) (result i32 i32)
    (i32.const 0x7fff0000)
    (i32.const 4096)))
