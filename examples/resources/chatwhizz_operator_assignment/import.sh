# The import ID is <domain_name>/<operator_id>.
terraform import chatwhizz_operator_assignment.example shop.example.com/65f1c0ffee0123456789abcd
