data "chatwhizz_domain" "shop" {
  name = "shop.example.com"
}

output "shop_contact" {
  value = data.chatwhizz_domain.shop.email
}

output "shop_is_active" {
  value = data.chatwhizz_domain.shop.active
}
