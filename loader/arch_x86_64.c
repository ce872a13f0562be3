/*
 * arch_x86_64.c — the only machine-specific code of mini-loader.
 *
 * At a new program's first instruction the kernel leaves x86-64 in a known state
 * (x86-64 psABI §3.4.1, "Initial Stack and Register State"; start_thread() and
 * ELF_PLAT_INIT in the kernel):
 *
 *   rsp     the address of argc, 16-byte aligned
 *   rdx     0 here: "a function pointer the application should register with atexit".
 *           ld.so passes its own _dl_fini to the program this way; the kernel has
 *           none, and a static program's _start would register garbage otherwise.
 *   others  0 (rax, rbx, rcx, rsi, rdi, rbp, r8-r15); rbp = 0 also ends the chain
 *           of frame pointers for debuggers
 *   rflags  only IF (and the always-one bit 1): DF clear, so string instructions go up
 *   x87/SSE reset: control word 0x37f, MXCSR 0x1f80 (all exceptions masked)
 *   fs      TLS base 0: the program sets up its own thread pointer
 *
 * C cannot say "put the new stack where we are standing, switch to it and never come
 * back", so arch_enter does that in a few lines of assembly: copy the stack image
 * that build_stack made over the loader's own stack (rep movsb), switch rsp, unmap
 * the image, clear the TLS base and the registers, jump. The entry address is parked
 * just below the new rsp (inside the 128-byte red zone, which signal delivery never
 * touches) so that every register can be cleared before the jump.
 */
#include "loader.h"

#include <errno.h>
#include <sys/rseq.h>
#include <sys/syscall.h>
#include <unistd.h>


int arch_unregister_rseq(void) {
  if (__rseq_size == 0)
    return 0;  // glibc did not register one (old kernel, or glibc.pthread.rseq=0)
  void *area = (char *)__builtin_thread_pointer() + __rseq_offset;
  // RSEQ_SIG (0x53053053 on x86) is the signature glibc registered with; the kernel
  // wants it back before it lets go.
  // The length must be the one glibc registered with. glibc 2.36 (as patched in
  // Debian 12) exports __rseq_size = 20, the size of the fields the kernel knows,
  // but registers the whole 32-byte struct rseq; so try both.
  unsigned int sizes[2] = {__rseq_size, 32};
  for (int i = 0; i < 2; i++) {
    if (i > 0 && sizes[i] == sizes[0])
      break;
    if (syscall(SYS_rseq, area, sizes[i], RSEQ_FLAG_UNREGISTER, RSEQ_SIG) == 0)
      return 0;
    if (errno != EINVAL)
      break;
  }
  return errno;
}

_Noreturn void arch_enter(uint64_t entry, uint64_t sp, const void *image, uint64_t len,
                          uint64_t image_map_len) {
  // The inputs arrive in fixed registers, and are moved to r12-r15 at once: the copy
  // and the system calls need rax, rcx, rdx, rsi and rdi. From the first byte copied
  // on, the loader's stack (this function's frame included) is being overwritten, so
  // nothing below may touch memory through rsp until rsp is the program's.
  __asm__ volatile(
      "mov  %%rdi, %%r14\n\t"     // r14 = sp
      "mov  %%rax, %%r15\n\t"     // r15 = entry
      "mov  %%rsi, %%r12\n\t"     // r12 = image
      "mov  %%rdx, %%r13\n\t"     // r13 = image_map_len
      "cld\n\t"
      "rep movsb\n\t"             // memcpy(sp, image, len): the stack goes into place
      "mov  %%r14, %%rsp\n\t"     // from here on, we stand on the program's stack
      "mov  $11, %%eax\n\t"       // munmap(image, image_map_len)
      "mov  %%r12, %%rdi\n\t"
      "mov  %%r13, %%rsi\n\t"
      "syscall\n\t"
      "mov  $158, %%eax\n\t"      // arch_prctl(ARCH_SET_FS, 0): no TLS yet
      "mov  $0x1002, %%edi\n\t"
      "xor  %%esi, %%esi\n\t"
      "syscall\n\t"
      "mov  %%r15, -16(%%rsp)\n\t" // park the entry address in the red zone
      "fninit\n\t"                // x87 control word 0x37f, empty register stack
      "movl $0x1f80, -8(%%rsp)\n\t"
      "ldmxcsr -8(%%rsp)\n\t"     // SSE: round to nearest, all exceptions masked
      "xor  %%eax, %%eax\n\t"
      "xor  %%ebx, %%ebx\n\t"
      "xor  %%ecx, %%ecx\n\t"
      "xor  %%edx, %%edx\n\t"     // rdx = 0: no atexit function for the program
      "xor  %%esi, %%esi\n\t"
      "xor  %%edi, %%edi\n\t"
      "xor  %%ebp, %%ebp\n\t"
      "xor  %%r8d, %%r8d\n\t"
      "xor  %%r9d, %%r9d\n\t"
      "xor  %%r10d, %%r10d\n\t"
      "xor  %%r11d, %%r11d\n\t"
      "xor  %%r12d, %%r12d\n\t"
      "xor  %%r13d, %%r13d\n\t"
      "xor  %%r14d, %%r14d\n\t"
      "xor  %%r15d, %%r15d\n\t"
      "pushq $0x202\n\t"          // rflags as execve leaves them: IF only (DF clear)
      "popfq\n\t"
      "jmp  *-16(%%rsp)\n\t"
      :
      : "D"(sp), "a"(entry), "S"(image), "c"(len), "d"(image_map_len)
      : "r12", "r13", "r14", "r15", "memory", "cc");
  __builtin_unreachable();
}
