// curl_easy_setopt, curl_easy_getinfo and curl_multi_setopt are variadic, which Swift cannot call:
// one fixed-type wrapper per argument type vpnform passes.
#ifndef VPNFORM_CCURLSHIM_H
#define VPNFORM_CCURLSHIM_H

#include <curl/curl.h>

CURLcode vpnform_easy_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode vpnform_easy_setopt_offset(CURL *handle, CURLoption option, curl_off_t value);
CURLcode vpnform_easy_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode vpnform_easy_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode vpnform_easy_setopt_write_function(CURL *handle, CURLoption option, curl_write_callback value);

CURLcode vpnform_easy_getinfo_long(CURL *handle, CURLINFO info, long *value);
CURLcode vpnform_easy_getinfo_pointer(CURL *handle, CURLINFO info, void **value);

CURLMcode vpnform_multi_setopt_long(CURLM *handle, CURLMoption option, long value);

#endif
