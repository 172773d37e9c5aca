# Authenticating with a token pair instead of the login, taken from
# CHATWHIZZ_ACCESS_TOKEN and CHATWHIZZ_REFRESH_TOKEN (values set in the block
# are copied into saved plan files, unless they come from ephemeral
# variables). Each provider process checks the pair with the API's validate
# call; the first one that has to regenerate it (its access token has expired)
# retires it for every later process, the apply phase of the same command
# included. Issue a new pair for each run, or also configure the login (from
# CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD and CHATWHIZZ_ORGANISATION_DOMAIN).

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
