# Authenticating with a token pair instead of the login. The pair comes from
# ephemeral variables (Terraform 1.10+, OpenTofu 1.11+), which are never
# written to a plan or state file: set them with TF_VAR_chatwhizz_access_token
# and TF_VAR_chatwhizz_refresh_token, or leave them unset and use
# CHATWHIZZ_ACCESS_TOKEN and CHATWHIZZ_REFRESH_TOKEN. The provider checks the
# pair with the API's validate call and regenerates it when the access token
# expires; the first process that regenerates it retires it for every later
# process, the apply phase of the same command included. Issue a pair per run,
# or also configure the login
# (from CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD and CHATWHIZZ_ORGANISATION_DOMAIN).

terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

variable "chatwhizz_access_token" {
  description = "An access token of the organisation and addon; leave it unset to use CHATWHIZZ_ACCESS_TOKEN."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

variable "chatwhizz_refresh_token" {
  description = "The refresh token paired with it; leave it unset to use CHATWHIZZ_REFRESH_TOKEN."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

provider "chatwhizz" {
  base_url          = "https://<your-chatwhizz-api-host>/"
  addon_unique_name = "live_chat"
  access_token      = var.chatwhizz_access_token
  refresh_token     = var.chatwhizz_refresh_token
}
