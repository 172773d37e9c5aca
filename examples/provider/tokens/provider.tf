# Authenticating with a token pair instead of the login. The provider checks
# the pair with the API's validate call and regenerates it when the access
# token expires; regenerating retires the configured pair. Also configure the
# login (here from CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD and
# CHATWHIZZ_ORGANISATION_DOMAIN) when later runs must still work after that.

terraform {
  required_providers {
    chatwhizz = {
      source = "chatwhizz/chatwhizz"
    }
  }
}

variable "chatwhizz_access_token" {
  type      = string
  sensitive = true
}

variable "chatwhizz_refresh_token" {
  type      = string
  sensitive = true
}

provider "chatwhizz" {
  base_url          = "https://api.chatwhizz.com/"
  access_token      = var.chatwhizz_access_token
  refresh_token     = var.chatwhizz_refresh_token
  addon_unique_name = "live_chat"
}
