/* ped's modules for the configuration and control-socket fuzz targets. */
#ifndef PE_FUZZ_PED_HARNESS_H
#define PE_FUZZ_PED_HARNESS_H

/* ped_harness.c */
/* Fresh daemon state per input: every module registered as `ped -C` does
 * (pe/modules.c), with ped.kernel_apply false, so that commands change
 * ped's tables only: no namespace, netlink request or BPF object is made. */
void fuzz_ped_begin(void);
/* Frees all of it (LeakSanitizer then sees what a command leaked). */
void fuzz_ped_end(void);

#endif
