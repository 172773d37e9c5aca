# In the same module as the two provider blocks (main.tf): a check that
# visitors see the chat widget on the marketplace, read from the seller-buyer
# provider block. The domain name comes from the assignment, so the check
# reads after it.
check "chat_widget_is_live" {
  data "chatwhizz_widget_visibility" "market" {
    provider = chatwhizz.seller_buyer

    domain_name = chatwhizz_operator_assignment.seller.domain_name
  }

  assert {
    condition     = data.chatwhizz_widget_visibility.market.visible
    error_message = "The chat widget is hidden on ${data.chatwhizz_widget_visibility.market.domain_name}: ${data.chatwhizz_widget_visibility.market.reason}"
  }
}
