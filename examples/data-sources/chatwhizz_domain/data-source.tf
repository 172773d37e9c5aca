terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

data "chatwhizz_domain" "shop" {
  name = "shop.example.com"
}

output "shop_contact" {
  value = data.chatwhizz_domain.shop.email
}

output "shop_is_active" {
  value = data.chatwhizz_domain.shop.active
}
