# Every argument of the provider block can come from the environment instead,
# which keeps credentials out of the configuration:
#
#   CHATWHIZZ_BASE_URL, CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD,
#   CHATWHIZZ_ORGANISATION_DOMAIN, CHATWHIZZ_ADDON_UNIQUE_NAME,
#   and CHATWHIZZ_ACCESS_TOKEN with CHATWHIZZ_REFRESH_TOKEN instead of a login.
#
# A value set in the provider block wins over the environment.

terraform {
  required_providers {
    chatwhizz = {
      source = "chatwhizz/chatwhizz"
    }
  }
}

variable "chatwhizz_email" {
  description = "The organisation's login email."
  type        = string
}

# The password comes from CHATWHIZZ_PASSWORD: a value set here (even from a
# sensitive variable) is copied by Terraform into saved plan files.
provider "chatwhizz" {
  base_url            = "https://api.chatwhizz.com/"
  email               = var.chatwhizz_email
  organisation_domain = "acme"
  addon_unique_name   = "live_chat"
}
