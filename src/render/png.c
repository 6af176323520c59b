/* png.c - PNG files of the chart images, through libpng.
 *
 * cairo_surface_write_to_png() lets libpng try every row filter on every
 * row at zlib's default level: on a 3840 x 2160 chart that is most of a
 * run's time.  Charts are flat colour with anti-aliased edges, for which
 * the "sub" filter alone gives files as small within a few per cent,
 * several times faster; zlib level 3 rather than 6 takes another 30% off
 * the files stage of a demo run (1.96 -> 1.38 s) for files 24% larger
 * (the demo's 27 chart files: 5.0 -> 6.1 MB).
 */
#include <errno.h>
#include <png.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "rapport/common.h"

#include "chart_kit.h"

/* libpng's own handlers print to stderr; the engine reports one line of its
 * own, so errors only jump back and warnings are dropped. */
static void png_fail(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void png_quiet(png_structp png, png_const_charp msg)
{
    (void)png;
    (void)msg;
}

int chart_write_png(cairo_surface_t *img, FILE *fp, const char *path)
{
    int w = cairo_image_surface_get_width(img), h = cairo_image_surface_get_height(img);
    int stride = cairo_image_surface_get_stride(img);
    const unsigned char *data;
    png_structp png = NULL;
    png_infop info = NULL;
    unsigned char *volatile row = NULL;
    volatile int rc = -1;

    cairo_surface_flush(img);
    data = cairo_image_surface_get_data(img);
    if (!data || cairo_image_surface_get_format(img) != CAIRO_FORMAT_RGB24)
        return rp_err_set(RP_EX_SOFTWARE, "%s: not an RGB image", path);
    png = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, png_fail, png_quiet);
    if (png)
        info = png_create_info_struct(png);
    if (!png || !info) {
        rp_err_set(RP_EX_SOFTWARE, "%s: cannot start a PNG", path);
        goto done;
    }
    row = rp_xmalloc((size_t)w * 3);
    if (setjmp(png_jmpbuf(png))) {
        rp_err_set(RP_EX_IOERR, "%s: cannot write PNG: %s", path,
                   errno ? strerror(errno) : "libpng error");
        goto done;
    }
    png_init_io(png, fp);
    errno = 0; /* a failed fwrite in libpng leaves its reason here */
    png_set_IHDR(png, info, (png_uint_32)w, (png_uint_32)h, 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    png_set_compression_level(png, 3);
    png_write_info(png, info);
    for (int y = 0; y < h; y++) {
        const uint32_t *px = (const uint32_t *)(const void *)(data + (size_t)y * (size_t)stride);
        for (int x = 0; x < w; x++) { /* RGB24: 0x00RRGGBB in native order */
            row[3 * x] = (unsigned char)(px[x] >> 16);
            row[3 * x + 1] = (unsigned char)(px[x] >> 8);
            row[3 * x + 2] = (unsigned char)px[x];
        }
        png_write_row(png, row);
    }
    png_write_end(png, info);
    rc = 0;

done:
    png_destroy_write_struct(png ? &png : NULL, info ? &info : NULL);
    free(row);
    return rc;
}
