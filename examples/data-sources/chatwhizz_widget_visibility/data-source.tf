terraform {
  required_providers {
    chatwhizz = {
      source  = "chatwhizz/chatwhizz"
      version = "~> 0.1"
    }
  }
}

# The call belongs to the seller-buyer addon's reference: set the provider's
# addon_unique_name, or CHATWHIZZ_ADDON_UNIQUE_NAME, to seller_buyer_chat_System.
data "chatwhizz_widget_visibility" "shop" {
  domain_name = "shop.example.com"
}

output "chat_widget_visible" {
  value = data.chatwhizz_widget_visibility.shop.visible
}

# "" when the widget is visible; the server's own words otherwise.
output "chat_widget_hidden_because" {
  value = data.chatwhizz_widget_visibility.shop.reason
}
