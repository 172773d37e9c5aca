# Authenticating with a token pair instead of the login, taken from
# CHATWHIZZ_ACCESS_TOKEN and CHATWHIZZ_REFRESH_TOKEN (values set in the block
# are copied into saved plan files, unless they come from ephemeral
# variables). The provider checks the pair with
# the API's validate call and regenerates it when the access token expires;
# regenerating retires the configured pair. Also configure the login (from
# CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD and CHATWHIZZ_ORGANISATION_DOMAIN) when
# later runs must still work after that.

terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

provider "chatwhizz" {
  base_url          = "https://api.chatwhizz.com/"
  addon_unique_name = "live_chat"
}
