;; Well-formed but invalid: returns an i64 where the type says i32. Assembled with --no-check.
(module
  (func (export "invalid") (result i32)
    (i64.const 1)))
