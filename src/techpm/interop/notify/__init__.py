"""Send status reports and alerts by e-mail and chat webhooks, retrying what fails.

Front ends build a `Message`, load a `NotifyConfig` and call `deliver`; each target gets a
`DeliveryResult` so one broken channel never hides the others.
"""
