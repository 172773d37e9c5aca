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
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

variable "chatwhizz_base_url" {
  description = "The root URL of your organisation's Chatwhizz External API, such as https://<your-chatwhizz-api-host>/."
  type        = string
}

variable "chatwhizz_organisation_domain" {
  description = "The organisation's subdomain name at Chatwhizz, such as acme."
  type        = string
}

variable "chatwhizz_email" {
  description = "The login email of the organisation's automation account."
  type        = string
}

# The password: from CHATWHIZZ_PASSWORD, or from an ephemeral variable
# (Terraform 1.10+, OpenTofu 1.11+), which is never written to a plan or state
# file. A plain variable, even a sensitive one, is copied into saved plans.
variable "chatwhizz_password" {
  description = "The organisation's password; leave it unset to use CHATWHIZZ_PASSWORD."
  type        = string
  default     = null
  sensitive   = true
  ephemeral   = true
}

provider "chatwhizz" {
  base_url            = var.chatwhizz_base_url
  email               = var.chatwhizz_email
  password            = var.chatwhizz_password
  organisation_domain = var.chatwhizz_organisation_domain
  addon_unique_name   = "live_chat"
}
