# On every plan and after every apply: a warning, not an error, when the
# server says visitors do not see the chat, with the server's reason. The
# plan and the apply still succeed.
check "chat_widget_is_live" {
  data "chatwhizz_widget_visibility" "shop_now" {
    domain_name = "shop.example.com"
  }

  assert {
    condition     = data.chatwhizz_widget_visibility.shop_now.visible
    error_message = "The chat widget is hidden on shop.example.com: ${data.chatwhizz_widget_visibility.shop_now.reason}"
  }
}
