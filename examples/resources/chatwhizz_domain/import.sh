# The import ID is the domain name.
terraform import chatwhizz_domain.example shop.example.com
