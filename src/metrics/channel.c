/* channel.c - contact channel names. */
#include <string.h>
#include <strings.h>

#include "rapport/results.h"

static const char *const names[RP_NCHANNELS + 1] = {
    "email", "phone", "social", "chat", "letter", "in_person", "web_form", "other", "all",
};

const char *rp_channel_name(int ch)
{
    return ch >= 0 && ch <= RP_NCHANNELS ? names[ch] : "other";
}

rp_channel rp_channel_parse(const char *s, size_t len)
{
    if (!s)
        return RP_CH_OTHER;
    for (int ch = 0; ch < RP_CH_OTHER; ch++)
        if (strlen(names[ch]) == len && strncasecmp(names[ch], s, len) == 0)
            return (rp_channel)ch;
    return RP_CH_OTHER;
}

static const char *const labels[RP_NCHANNELS + 1] = {
    "Email",     "Phone",    "Social media", "Chat",         "Letter",
    "In person", "Web form", "Other",        "All channels",
};

const char *rp_channel_label(int ch)
{
    return ch >= 0 && ch <= RP_NCHANNELS ? labels[ch] : labels[RP_CH_OTHER];
}
