# A small module with tests you can copy: `terraform test` runs
# tests/mock.tftest.hcl with no server at all (a mock provider), and
# tests/emulator.tftest.hcl and tests/widget.tftest.hcl (is the chat widget
# live? on the seller-buyer addon) against a real server of the API, such as
# `make emulator`, configured from the environment (CHATWHIZZ_BASE_URL,
# CHATWHIZZ_EMAIL, CHATWHIZZ_PASSWORD, CHATWHIZZ_ORGANISATION_DOMAIN).
#
#   terraform init                                  # the provider, and the tests' helper module
#   terraform test -filter=tests/mock.tftest.hcl    # anywhere, in seconds
#   terraform test                                  # all, with a server

terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

provider "chatwhizz" {
  addon_unique_name = var.addon
}

variable "addon" {
  description = "The addon the site and its team belong to."
  type        = string
  default     = "live_chat"
}

variable "site" {
  description = "The website's domain name."
  type        = string
  default     = "shop.example.com"
}

variable "team" {
  description = "The operators, by key, and whether each administers the site."
  type = map(object({
    email = string
    admin = optional(bool, false)
  }))
  default = {
    ada   = { email = "ada@example.com", admin = true }
    grace = { email = "grace@example.com" }
  }
}

resource "chatwhizz_domain" "site" {
  name  = var.site
  email = "webmaster@${var.site}"
}

resource "chatwhizz_operator" "team" {
  for_each = var.team

  email = each.value.email
}

resource "chatwhizz_operator_assignment" "team" {
  for_each = var.team

  domain_name = chatwhizz_domain.site.name
  operator_id = chatwhizz_operator.team[each.key].id
  is_admin    = each.value.admin
}

output "admins" {
  description = "The operators who administer the site."
  value       = sort([for key, a in chatwhizz_operator_assignment.team : key if a.is_admin])
}
