# Continuous deployment on splitfront with the hashicorp/aws provider, unchanged: a staging distribution (trying
# its own cache, origin request and response headers policies and a viewer-request CloudFront Function), a policy
# that names it, and a primary the policy is attached to. The defaults fit `npm start` (its demo origins listen on
# 9101 and 9102); test/e2e/terraform.test.ts runs this file.
#
#   terraform init
#   terraform apply -var attach_policy=false  # CloudFront takes no policy id when a distribution is created
#   terraform apply                           # attach it: 10 % of new viewer sessions go to staging, and stay
#   curl -s -D - -o /dev/null http://tf.localhost:8787/ | grep -i served-by
#   terraform apply -var traffic=header       # now exactly the requests with "aws-cf-cd-staging: true"
#   curl -s -H 'aws-cf-cd-staging: true' http://tf.localhost:8787/docs/ | grep -o 'GET [^<]*'  # GET /docs/index.html
#   terraform apply -var traffic=header -var release=rc2   # staging's response headers policy changes
#   terraform apply -var traffic=header -var release=rc2 -var index_document=home.html   # a new LIVE function
#   terraform destroy

terraform {
  required_providers {
    aws = { source = "hashicorp/aws", version = ">= 5.100" }
  }
}

variable "endpoint" { default = "http://127.0.0.1:8787/_cd" } # the worker's URL + CONTROL_PATH_PREFIX
variable "alias" { default = "tf.localhost" }                 # the site's hostname
variable "origin_host" { default = "127.0.0.1" }
variable "primary_port" { default = 9101 } # the current release
variable "staging_port" { default = 9102 } # the candidate
variable "attach_policy" { default = true }
variable "traffic" { default = "weight" } # "weight" (sticky sessions) or "header"
variable "weight" { default = 0.1 }
variable "release" { default = "rc1" }               # what staging's responses say in X-Release
variable "index_document" { default = "index.html" } # what staging's function appends to directory URLs

provider "aws" {
  region     = "us-east-1"
  access_key = "test"
  secret_key = "test"
  endpoints {
    cloudfront = var.endpoint
  }
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  skip_region_validation      = true
}

locals {
  caching_disabled = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" # AWS managed cache policy CachingDisabled
  # A site with an alias needs a certificate of its own (the default one covers only the d….cloudfront.net name).
  certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-4000-8000-000000000000"
}

# The policies staging tries (the primary keeps the managed CachingDisabled, with no other policy).
resource "aws_cloudfront_cache_policy" "candidate" {
  name        = "candidate-cache"
  comment     = "cache by the v query string and the viewer's language"
  min_ttl     = 0
  default_ttl = 60
  max_ttl     = 3600
  parameters_in_cache_key_and_forwarded_to_origin {
    enable_accept_encoding_gzip   = true
    enable_accept_encoding_brotli = true
    headers_config {
      header_behavior = "whitelist"
      headers { items = ["Accept-Language"] }
    }
    cookies_config { cookie_behavior = "none" }
    query_strings_config {
      query_string_behavior = "whitelist"
      query_strings { items = ["v"] }
    }
  }
}

resource "aws_cloudfront_origin_request_policy" "candidate" {
  name    = "candidate-origin-request"
  comment = "the origin also gets X-Tenant and every cookie"
  headers_config {
    header_behavior = "whitelist"
    headers { items = ["X-Tenant"] }
  }
  cookies_config { cookie_behavior = "all" }
  query_strings_config { query_string_behavior = "none" }
}

resource "aws_cloudfront_response_headers_policy" "candidate" {
  name    = "candidate-response-headers"
  comment = "CORS for the app, security and release headers"
  cors_config {
    access_control_allow_credentials = false
    access_control_allow_headers { items = ["X-Requested-With"] }
    access_control_allow_methods { items = ["GET", "HEAD"] }
    access_control_allow_origins { items = ["https://app.example"] }
    origin_override = true
  }
  security_headers_config {
    frame_options {
      frame_option = "DENY"
      override     = true
    }
  }
  custom_headers_config {
    items {
      header   = "X-Release"
      value    = var.release
      override = true
    }
  }
}

# The viewer-request function staging tries: directory URLs served from their index document. A change of its code
# is published (publish = true), and the hosts whose behaviours associate it are republished with the new LIVE code.
resource "aws_cloudfront_function" "candidate" {
  name    = "candidate-index-rewrite"
  runtime = "cloudfront-js-2.0"
  comment = "directory URLs to their index document"
  publish = true
  code    = <<-EOT
    function handler(event) {
      var request = event.request;
      if (request.uri.endsWith('/')) request.uri += '${var.index_document}';
      return request;
    }
  EOT
}

resource "aws_cloudfront_distribution" "staging" {
  enabled             = true
  staging             = true
  comment             = "candidate release"
  is_ipv6_enabled     = true
  wait_for_deployment = false

  origin {
    origin_id   = "site"
    domain_name = var.origin_host
    custom_origin_config {
      http_port              = var.staging_port
      https_port             = 443
      origin_protocol_policy = "http-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id           = "site"
    viewer_protocol_policy     = "allow-all"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    cache_policy_id            = aws_cloudfront_cache_policy.candidate.id
    origin_request_policy_id   = aws_cloudfront_origin_request_policy.candidate.id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.candidate.id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.candidate.arn
    }
  }

  restrictions {
    geo_restriction { restriction_type = "none" }
  }

  viewer_certificate {
    acm_certificate_arn      = local.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }
}

resource "aws_cloudfront_continuous_deployment_policy" "split" {
  enabled = true

  staging_distribution_dns_names {
    items    = [aws_cloudfront_distribution.staging.domain_name]
    quantity = 1
  }

  traffic_config {
    type = var.traffic == "header" ? "SingleHeader" : "SingleWeight"
    dynamic "single_weight_config" {
      for_each = var.traffic == "header" ? [] : [var.weight]
      content {
        weight = single_weight_config.value
        session_stickiness_config {
          idle_ttl    = 300
          maximum_ttl = 600
        }
      }
    }
    dynamic "single_header_config" {
      for_each = var.traffic == "header" ? ["aws-cf-cd-staging"] : []
      content {
        header = single_header_config.value
        value  = "true"
      }
    }
  }
}

resource "aws_cloudfront_distribution" "primary" {
  enabled                         = true
  aliases                         = [var.alias]
  comment                         = "current release"
  is_ipv6_enabled                 = true
  wait_for_deployment             = true # until viewers see the change (Status Deployed)
  continuous_deployment_policy_id = var.attach_policy ? aws_cloudfront_continuous_deployment_policy.split.id : null

  origin {
    origin_id   = "site"
    domain_name = var.origin_host
    custom_origin_config {
      http_port              = var.primary_port
      https_port             = 443
      origin_protocol_policy = "http-only"
      origin_ssl_protocols   = ["TLSv1.2"]
    }
  }

  default_cache_behavior {
    target_origin_id       = "site"
    viewer_protocol_policy = "allow-all"
    allowed_methods        = ["GET", "HEAD"]
    cached_methods         = ["GET", "HEAD"]
    cache_policy_id        = local.caching_disabled
  }

  restrictions {
    geo_restriction { restriction_type = "none" }
  }

  viewer_certificate {
    acm_certificate_arn      = local.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  tags = { app = "splitfront-example" }
}

# Read back through the data source (GetDistribution and ListTagsForResource).
data "aws_cloudfront_distribution" "primary" {
  id = aws_cloudfront_distribution.primary.id
}

output "primary_id" { value = aws_cloudfront_distribution.primary.id }
output "policy_id" { value = aws_cloudfront_continuous_deployment_policy.split.id }
output "staging_domain_name" { value = aws_cloudfront_distribution.staging.domain_name }
output "primary_aliases" { value = data.aws_cloudfront_distribution.primary.aliases }
output "primary_tags" { value = data.aws_cloudfront_distribution.primary.tags }
output "cache_policy_id" { value = aws_cloudfront_cache_policy.candidate.id }
output "response_headers_policy_id" { value = aws_cloudfront_response_headers_policy.candidate.id }
