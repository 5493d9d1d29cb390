/*
 * sys_sbrk's modes (kernel/vm.h). Here the pager's allocation policy
 * decides how every sbrk grows the heap (lazy by default: make qemu
 * POLICY=, pagerctl set), so libsys's sys_sbrk takes the mode and ignores
 * it: sbrk and sbrklazy both behave as the policy says.
 */
#ifndef XV6_VM_H
#define XV6_VM_H

#define SBRK_EAGER 1
#define SBRK_LAZY  2

#endif
