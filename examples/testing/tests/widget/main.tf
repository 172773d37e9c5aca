# A helper module for tests/widget.tftest.hcl: it only asks the server
# whether visitors see the chat widget on the site.

terraform {
  required_providers {
    chatwhizz = {
      source = "chatwhizz/chatwhizz"
    }
  }
}

provider "chatwhizz" {
  addon_unique_name = var.addon
}

variable "site" {
  description = "The website's domain name."
  type        = string
}

variable "addon" {
  description = "The addon the site belongs to."
  type        = string
}

data "chatwhizz_widget_visibility" "site" {
  domain_name = var.site
}
