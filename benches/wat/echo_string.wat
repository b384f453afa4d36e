;; echo_string, ABI 1 (the original WasmEngine's bench function, hand-written).
;;   {"x":"a"} -> {"x":"a"}b
;; The output is the input bytes followed by 'b', appended in place right after the input
;; (memory grown if the input ends on a page boundary). Exports echo_string(ptr, len) ->
;; (ptr, len), memory and __heap_base; the host grows memory by one page and writes the input
;; at __heap_base. If memory cannot grow, the output is empty.
(module
  (memory (export "memory") 1)
  (global (export "__heap_base") i32 (i32.const 1024))

  (func (export "echo_string") (param $ptr i32) (param $len i32) (result i32 i32)
    (local $end i32) (local $pages i32)
    (local.set $end (i32.add (local.get $ptr) (local.get $len)))
    ;; pages needed so that the byte at $end exists: ceil((end + 1) / 65536)
    (local.set $pages (i32.shr_u (i32.add (local.get $end) (i32.const 65536)) (i32.const 16)))
    (if (i32.gt_u (local.get $pages) (memory.size))
      (then
        (if (i32.eq (memory.grow (i32.sub (local.get $pages) (memory.size))) (i32.const -1))
          (then (return (i32.const 0) (i32.const 0))))))
    (i32.store8 (local.get $end) (i32.const 98)) ;; 'b'
    (local.get $ptr)
    (i32.add (local.get $len) (i32.const 1))))
