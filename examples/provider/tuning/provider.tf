# The provider's tuning arguments, each with the value it has when left out,
# but requests_per_second, which has none. The login comes from the
# environment (CHATWHIZZ_BASE_URL, CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD,
# CHATWHIZZ_ORGANISATION_DOMAIN).

terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

provider "chatwhizz" {
  addon_unique_name = "live_chat"

  # How long one HTTP request may take.
  request_timeout = "30s"
  # How often a request answered 502, 503 or 504, or cut by a connection
  # reset, is tried again.
  max_retries = 4
  # How long one API call may wait out 429s and retry, all attempts together.
  retry_timeout = "5m"
  # The organisation's quota, if you know it: the pace the provider starts at
  # and never exceeds. Left out, the provider finds the pace from the 429s.
  requests_per_second = 5
}
