def email_builders_register():
    pass
