"""The Russian message catalogue: every text a reader sees, kept apart from logic.

Texts are looked up by stable codes. Templates use ``str.format`` fields;
phrases whose words depend on a number are small functions built on
:func:`recovery_core.ru.plural`.
"""

from __future__ import annotations

from .ru import count, digits_spoken, plural

__all__ = [
    "ERRORS",
    "VALIDATION",
    "FLOW",
    "ZXCVBN_RU",
    "RU_DICTIONARY_WARNINGS",
    "SUPPORT_CHECKLIST",
    "CHECKLIST_LABELS",
    "error",
    "validation",
    "flow",
    "attempts_left",
    "code_digits_entered",
    "password_length",
    "checklist_length",
    "attempts_remaining",
    "UI",
    "ui",
    "where",
    "page_title",
    "meta_line",
    "download_size",
    "LINK_STATUS",
    "STRENGTH",
    "translate_feedback",
]

# --- protocol errors (``{"ok": false, "error": {...}}``) -------------------------

ERRORS: dict[str, str] = {
    "bad_json": "Не удалось разобрать запрос: это не JSON.",
    "bad_request": "Неверный запрос: ожидался объект JSON с полем «op».",
    "bad_field_type": "Неверный запрос: у поля «{field}» неподходящий тип.",
    "too_deep": "Неверный запрос: слишком много вложенных скобок.",
    "too_long": "Запрос слишком длинный: не больше {limit} символов.",
    "value_too_long": "Значение слишком длинное: не больше {limit} символов.",
    "unknown_op": "Неизвестная операция. Допустимы: start, act, check, tick, restore.",
    "unknown_field": "Неизвестное поле для проверки. Допустимы: email, phone, code, password.",
    "unknown_action": "Неизвестное действие.",
    "action_not_allowed": "На шаге {title} это действие сейчас недоступно.",
    "no_session": "Тренажёр ещё не запущен — начните сначала.",
    "internal": "Внутренняя ошибка тренажёра. Попробуйте начать заново.",
    "bad_saved": "Прошлый сеанс тренажёра не удалось восстановить — начинаем заново.",
}

# --- validators ---------------------------------------------------------------

VALIDATION: dict[str, str] = {
    # e-mail
    "email_ok": "Формат адреса правильный.",
    "email_suggest": "Проверьте адрес: может быть, вы имели в виду {address}?",
    "email_empty": "Введите адрес электронной почты.",
    "email_spaces": "В адресе не должно быть пробелов.",
    "email_comma": "В адресе есть запятая — вероятно, вместо точки.",
    "email_no_at": "В адресе не хватает знака «@». Адрес выглядит так: anna@example.com.",
    "email_many_at": "В адресе может быть только один знак «@».",
    "email_no_local": "Перед «@» должно быть имя почтового ящика.",
    "email_no_domain": "После «@» укажите почтовый домен, например mail.ru.",
    "email_local_chars": "В имени ящика (до «@») есть недопустимые символы.",
    "email_local_not_latin": "Имя ящика (до «@») пишется латиницей — проверьте раскладку клавиатуры.",
    "email_local_dots": "Точка не может стоять в начале или в конце имени ящика и повторяться подряд.",
    "email_local_long": "Имя ящика (до «@») слишком длинное: не больше 64 символов.",
    "email_domain_dot": "После «@» нужен домен с точкой, например mail.ru.",
    "email_domain_dots": "В домене лишние точки: они не могут стоять подряд, в начале или в конце.",
    "email_domain_chars": "В домене после «@» есть недопустимые символы.",
    "email_domain_long": "Часть домена между точками слишком длинная: не больше 63 символов.",
    "email_domain_hyphen": "Часть домена не может начинаться или заканчиваться дефисом.",
    "email_domain_tld": "Проверьте окончание адреса: после последней точки должна быть доменная зона, например .ru или .рф.",
    "email_too_long": "Адрес слишком длинный: не больше 254 символов.",
    # phone
    "phone_ok": "Номер подходит: {display}.",
    "phone_empty": "Введите новый номер телефона.",
    "phone_letters": "В номере могут быть только цифры, пробелы, скобки, дефисы и знак «+» в начале.",
    "phone_plus": "Знак «+» ставится только один раз, в самом начале номера.",
    "phone_typing": "Номер пока неполный.",
    "phone_too_short": "В номере не хватает цифр: после +7 должно быть 10 цифр.",
    "phone_too_long": "В номере лишние цифры: после +7 должно быть 10 цифр.",
    "phone_extension": "Добавочный номер здесь не нужен: код приходит на сам мобильный. Уберите {extension}.",
    "phone_too_short_foreign": "В номере не хватает цифр — проверьте его.",
    "phone_too_long_foreign": "В номере лишние цифры — проверьте его.",
    "phone_length_foreign": "В номере неверное количество цифр — проверьте его.",
    "phone_bad_country": "Такого кода страны нет. Проверьте цифры после «+».",
    "phone_invalid": "Такого номера не существует: проверьте код оператора или города.",
    "phone_landline": "Это городской номер. Нужен мобильный: на него придёт SMS или звонок с кодом.",
    "phone_toll_free": "Это бесплатный номер организации (как 8 800): SMS на него не приходят. Укажите свой мобильный номер.",
    "phone_premium": "Это платный номер справочной службы (как 8 809): он не подойдёт. Укажите свой мобильный номер.",
    "phone_not_mobile": "Этот номер не подойдёт: нужен мобильный, на который можно получить SMS или звонок.",
    "phone_is_old": "Это старый номер, к которому у вас больше нет доступа. Укажите новый номер.",
    # code
    "code_ok": "Код введён полностью.",
    "code_empty": "Введите код из SMS или звонка.",
    "code_not_digits": "Код состоит только из цифр.",
    # password
    "password_ok": "Пароль подходит.",
    "password_fair": "Пароль подходит. Ещё одно слово сделает его надёжнее.",
    "password_empty": "Введите пароль.",
    "password_control": "В пароле есть непечатаемые символы — уберите их.",
    "password_too_long": "Пароль слишком длинный: не больше {limit} символов.",
    "password_is_email": "Пароль не должен совпадать с адресом электронной почты.",
    "password_is_phone": "Пароль не должен совпадать с номером телефона.",
    "password_weak": "Пароль слишком простой: его легко подобрать.",
}

# --- flow: results of actions, notices ---------------------------------------------

FLOW: dict[str, str] = {
    "training_notice": "Это тренажёр: ничего никуда не отправляется. Не вводите настоящие пароли, коды и личные данные.",
    "demo_data": "Вы начали с шага {number} из {total} — {title}. Данные предыдущих шагов заполнены для примера.",
    "demo_branch": "Вы начали с ветки {title}. Данные предыдущих шагов заполнены для примера.",
    "unknown_step": "Такого шага в тренажёре нет — начинаем с первого.",
    "restarted": "Начинаем заново.",
    "sign_out_skipped": "Вы не в аккаунте, поэтому шаг «Выход» пропускаем.",
    "signed_out": "Вы вышли из аккаунта.",
    "letter_sent": "Если такой адрес привязан к аккаунту, мы отправили на него письмо со ссылкой для восстановления доступа.",
    "letter_resent": "Если такой адрес привязан к аккаунту, мы отправили письмо ещё раз. Ссылка из прошлого письма больше не действует.",
    "link_opened": "Ссылка сработала: открылась страница восстановления доступа.",
    "link_used": "Эта ссылка уже использована: по ней можно перейти только один раз.",
    "link_expired": "Срок действия ссылки истёк: в тренажёре она действует 24 часа. Запросите новое письмо.",
    "link_replaced": "Эта ссылка больше не действует: после повторной отправки работает только ссылка из последнего письма.",
    "link_invalid": "Ссылка недействительна.",
    "link_expired_now": "Срок действия ссылки из письма истёк. Запросите новое письмо.",
    "phone_accepted": "Номер {display} принят.",
    "code_sent_sms": "Мы отправили SMS с кодом на номер {display}.",
    "code_sent_call": "Мы звоним на номер {display}: автоматический голос продиктует код.",
    "code_resent_sms": "Мы отправили новый код по SMS. Прежний код больше не действует.",
    "code_resent_call": "Мы позвонили ещё раз и продиктовали новый код. Прежний код больше не действует.",
    "code_sent_call_number": "Мы звоним на номер {display}: код — последние 6 цифр номера, с которого поступит звонок.",
    "code_resent_call_number": "Мы позвонили ещё раз, с другого номера: код — его последние 6 цифр. Прежний код больше не действует.",
    "code_wrong_last": "Неверный код. Попытки закончились: в тренажёре на один код их {attempts} — запросите новый код.",
    "code_burned": "Попытки ввода этого кода закончились. Запросите новый код.",
    "code_expired": "Срок действия кода истёк: в тренажёре код действует {lifetime}. Запросите новый код.",
    "code_expired_now": "Срок действия кода истёк. Запросите новый код.",
    "code_missing": "Код ещё не запрошен.",
    "code_dead": "Этот код больше не действует — запросите новый.",
    "phone_confirmed": "Номер {display} подтверждён.",
    "password_saved": "Новый пароль сохранён.",
    "signed_in": "Вы вошли в аккаунт с новым номером.",
    "password_not_kept": "Пароль тренажёр не сохраняет даже в браузере, поэтому после перезагрузки страницы его нужно придумать заново.",
}

# --- zxcvbn feedback, translated; keys are zxcvbn's own English strings ------------

ZXCVBN_RU: dict[str, str] = {
    "Use a few words, avoid common phrases.": "Используйте несколько слов, но не распространённые фразы.",
    "No need for symbols, digits, or uppercase letters.": "Символы, цифры и заглавные буквы не обязательны.",
    "Add another word or two. Uncommon words are better.": "Добавьте ещё одно-два слова, лучше редких.",
    "Straight rows of keys are easy to guess.": "Ряд клавиш подряд легко угадать.",
    "Short keyboard patterns are easy to guess.": "Короткие узоры на клавиатуре легко угадать.",
    "Use a longer keyboard pattern with more turns.": "Если это узор на клавиатуре, сделайте его длиннее и с большим числом поворотов.",
    'Repeats like "aaa" are easy to guess.': "Повторы вроде «ааа» легко угадать.",
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': "Повторы вроде «абвабвабв» угадать лишь немного сложнее, чем «абв».",
    "Avoid repeated words and characters.": "Не повторяйте слова и символы.",
    'Sequences like "abc" or "6543" are easy to guess.': "Последовательности вроде «abc» или «6543» легко угадать.",
    "Avoid sequences.": "Избегайте последовательностей.",
    "Recent years are easy to guess.": "Недавние годы легко угадать.",
    "Avoid recent years.": "Не используйте недавние годы.",
    "Avoid years that are associated with you.": "Не используйте годы, связанные с вами.",
    "Dates are often easy to guess.": "Даты обычно легко угадать.",
    "Avoid dates and years that are associated with you.": "Не используйте даты и годы, связанные с вами.",
    "This is a top-10 common password.": "Это один из десяти самых распространённых паролей.",
    "This is a top-100 common password.": "Это один из ста самых распространённых паролей.",
    "This is a very common password.": "Это очень распространённый пароль.",
    "This is similar to a commonly used password.": "Это похоже на распространённый пароль.",
    "A word by itself is easy to guess.": "Отдельное слово легко угадать.",
    "Names and surnames by themselves are easy to guess.": "Имена и фамилии сами по себе легко угадать.",
    "Common names and surnames are easy to guess.": "Распространённые имена и фамилии легко угадать.",
    "Capitalization doesn't help very much.": "Заглавная буква в начале почти не помогает.",
    "All-uppercase is almost as easy to guess as all-lowercase.": "Слово из одних заглавных букв угадать почти так же легко, как из строчных.",
    "Reversed words aren't much harder to guess.": "Слово задом наперёд угадать ненамного сложнее.",
    "Predictable substitutions like '@' instead of 'a' don't help very much.": "Предсказуемые замены вроде «@» вместо «a» почти не помогают.",
}

#: Warnings for the Russian-aware dictionaries (zxcvbn has none for them).
RU_DICTIONARY_WARNINGS: dict[str, str] = {
    "ru_words": "Распространённое русское слово легко угадать.",
    "ru_names": "Распространённые имена и фамилии легко угадать.",
    "ru_words_latin_layout": "Русское слово, набранное в английской раскладке (как «gfhjkm» — «пароль»), угадать так же легко, как само слово.",
    "ru_words_translit": "Русское слово латиницей (как «parol») угадать так же легко, как само слово.",
    "ru_keyboard": "Ряд клавиш подряд (как «йцукен» или «фыва») легко угадать.",
    "user_inputs": "В пароле есть ваша почта, номер телефона или название сайта — такое легко угадать.",
}

#: The password checklist: the checker's own reasons, so a refused password is never
#: all ticked and nothing that does not count is shown as missing (``length`` is
#: :func:`checklist_length`).
CHECKLIST_LABELS: dict[str, str] = {
    "personal": "Не совпадает с почтой или номером",
    "strong": "Трудно подобрать",
}

SUPPORT_CHECKLIST: tuple[str, ...] = (
    "Старый номер телефона, к которому был привязан аккаунт",
    "Адрес электронной почты аккаунта",
    "Номера и даты последних заказов",
    "Последние четыре цифры банковской карты, которой вы оплачивали заказы",
    "Фамилию, имя и отчество, как они указаны в профиле",
    "Адрес доставки или пункт выдачи, куда приходили заказы",
)


# --- lookups -------------------------------------------------------------------------


def error(code: str, **fields: object) -> str:
    """The Russian text of a protocol error."""
    return ERRORS[code].format(**fields)


def validation(code: str, **fields: object) -> str:
    """The Russian text of a validator verdict."""
    return VALIDATION[code].format(**fields)


def flow(code: str, **fields: object) -> str:
    """The Russian text of a flow message."""
    return FLOW[code].format(**fields)


# --- phrases that depend on a number -----------------------------------------------


def _tries_left(n: int) -> str:
    """«Осталась 1 попытка» / «Осталось 2 попытки»: the verb agrees with the number."""
    return f"{plural(n, 'Осталась', 'Осталось', 'Осталось')} {count(n, 'попытка', 'попытки', 'попыток')}"


def characters(n: int) -> str:
    """«8 символов», «1 символа»: a length after «не меньше» or «не короче»."""
    return count(n, "символа", "символов", "символов")


def attempts_left(n: int) -> str:
    """«Неверный код. Осталась 1 попытка.» / «…Осталось 2 попытки.»"""
    return f"Неверный код. {_tries_left(n)}."


def code_digits_entered(length: int, n: int) -> str:
    """«В коде 6 цифр, а введена 1.» — the wrong length of a code."""
    verb = plural(n, "введена", "введено", "введено")
    return f"В коде {count(length, 'цифра', 'цифры', 'цифр')}, а {verb} {n}."


def phone_digits_entered(n: int) -> str:
    """«В номере лишние цифры: после +7 должно быть 10 цифр, а введено 11.»"""
    verb = plural(n, "введена", "введено", "введено")
    return f"В номере лишние цифры: после +7 должно быть 10 цифр, а {verb} {n}."


def password_length(minimum: int, n: int) -> str:
    """«Пароль слишком короткий: в тренажёре нужно не меньше 8 символов, сейчас 5.»"""
    return f"Пароль слишком короткий: в тренажёре нужно не меньше {characters(minimum)}, сейчас {n}."


def checklist_length(minimum: int) -> str:
    """«Не короче 8 символов» — the checklist's line for the simulator's minimum length."""
    return f"Не короче {characters(minimum)}"


def password_wrong(left: int) -> str:
    """«Неверный пароль. Осталось 4 попытки. Проверьте раскладку…» — a wrong password at sign-in."""
    return f"Неверный пароль. {_tries_left(left)}. Проверьте раскладку клавиатуры и не включён ли Caps Lock."


def sign_in_closed(attempts: int, wait: str) -> str:
    """What the last wrong password says: sign-in closes for a while (the simulator's limits)."""
    return (
        f"Неверный пароль, и это уже {count(attempts, 'неверная попытка', 'неверные попытки', 'неверных попыток')} подряд: "
        f"вход в тренажёре закрыт на {wait}. Если пароль забыт, восстановите доступ заново."
    )


def attempts_remaining(n: int) -> str:
    """«Осталось 2 попытки ввода кода.» — shown while a code has been mistyped."""
    return f"{_tries_left(n)} ввода кода."


def translate_feedback(english: str) -> str | None:
    """zxcvbn's English warning or suggestion in Russian; ``None`` if unknown."""
    return ZXCVBN_RU.get(english)


# --- simulated services: the letter, the SMS, the call ----------------------------

#: One sender for the letter, the SMS and the call: the shop (schematic, no brand assets).
SENDER = "Ozon (демо)"
LETTER_FROM = SENDER
LETTER_SUBJECT = "Восстановление доступа к аккаунту"
LINK_LABEL = "Восстановить доступ"
SMS_FROM = SENDER
CALL_FROM = SENDER


def letter_body(email: str) -> list[str]:
    """The paragraphs of the recovery letter."""
    return [
        "Здравствуйте!",
        f"Вы запросили восстановление доступа к аккаунту, привязанному к адресу {email}.",
        "Чтобы указать новый номер телефона, нажмите «Восстановить доступ». "
        "В тренажёре ссылка действует 24 часа и сработает только один раз.",
        "Если вы не запрашивали восстановление, просто удалите это письмо: без ссылки никто не изменит данные аккаунта.",
        "Это учебное письмо из тренажёра.",
    ]


def sms_text(code: str) -> str:
    """The SMS with the confirmation code."""
    return f"Код для восстановления доступа: {code}. Никому не сообщайте этот код."


def call_transcript(code: str) -> str:
    """What the automated voice says, digit by digit."""
    spoken = digits_spoken(code)
    return f"Здравствуйте! Ваш код подтверждения: {spoken}. Повторяю: {spoken}. Никому не сообщайте этот код."


#: The start of the simulator's calling number; the code makes its last 6 digits.
CALLING_PREFIX = "+7 800 0"


def calling_number(code: str) -> str:
    """«+7 800 012-34-56» for the code 123456: a call whose number carries the code."""
    return f"{CALLING_PREFIX}{code[:2]}-{code[2:4]}-{code[4:]} (демо)"


def call_number_text() -> str:
    """What the reader sees of a call whose number carries the code."""
    return "Код подтверждения — последние 6 цифр номера, с которого звонили."


# --- screens --------------------------------------------------------------------------

SCREENS: dict[str, str] = {
    # open-ozon
    "open_heading": "Откройте Ozon",
    "open_text": "Откройте приложение Ozon или сайт ozon.ru на устройстве, с которого будете входить.",
    "open_session": "Похоже, на этом устройстве вы ещё в аккаунте со старым номером {old_phone}. Из него нужно будет выйти.",
    "open_no_session": "На этом устройстве вы не в аккаунте, так что выходить ни из чего не нужно.",
    # sign-out
    "signout_heading": "Профиль",
    "signout_text": "Вы в аккаунте со старым номером {old_phone}. Чтобы восстановить доступ, сначала выйдите из него.",
    "signout_hint": "В приложении ищите «Выход» или похожий пункт в меню профиля; в тренажёре это кнопка выше.",
    # forgot-password
    "forgot_heading": "Вход",
    "forgot_text": "Войти по старому номеру не получится: доступа к нему у вас больше нет.",
    "forgot_hint": "Нажмите «Забыли пароль?» — так начинается восстановление доступа через электронную почту.",
    # enter-email
    "email_heading": "Восстановление доступа",
    "email_text": "Укажите электронную почту, привязанную к аккаунту. На неё придёт письмо со ссылкой для восстановления доступа.",
    "email_hint": "Это тренажёр: настоящий адрес вводить не нужно — подойдёт любой, например {demo}.",
    "email_label": "Электронная почта",
    "email_placeholder": "name@example.com",
    # check-inbox
    "inbox_heading": "Проверьте почту",
    "inbox_text": "Если адрес {email} привязан к аккаунту, на него придёт письмо со ссылкой для восстановления доступа.",
    "inbox_hint": "Откройте письмо и нажмите «Восстановить доступ». В тренажёре ссылка действует 24 часа и срабатывает только один раз.",
    "inbox_link_left": "Ссылка из последнего письма действует ещё {time}.",
    "inbox_link_gone": "Действующей ссылки нет — запросите новое письмо.",
    "inbox_spam": "Письма нет? Проверьте папку «Спам». Если и там пусто, отправьте письмо ещё раз.",
    # enter-phone
    "phone_heading": "Новый номер телефона",
    "phone_text": "Ссылка из письма открыла страницу восстановления доступа.",
    "phone_hint": "Введите новый номер — на него придёт код подтверждения. Нужен мобильный номер, российский или другой страны.",
    "phone_demo": "Это тренажёр: подойдёт любой мобильный номер, например {demo}.",
    "phone_label": "Новый номер телефона",
    "phone_placeholder": "+7 900 000-00-00",
    # confirm-phone
    "confirm_heading": "Подтверждение номера",
    "confirm_choose": "Подтвердите номер {phone}: мы пришлём на него код.",
    "confirm_channels": "По SMS код придёт сообщением, а при звонке его продиктует автоматический голос. "
    "А по справке Ozon, код может прийти и по-другому: это последние 6 цифр номера, с которого вам позвонят.",
    "confirm_sent_sms": "Мы отправили SMS с кодом на номер {phone}.",
    "confirm_sent_call": "Мы звоним на номер {phone}: автоматический голос продиктует код.",
    "confirm_sent_call_number": "Мы звоним на номер {phone}: код — последние 6 цифр номера, с которого поступит звонок.",
    "confirm_code_left": "Код действует ещё {time}.",
    "confirm_code_expired": "Срок действия кода истёк. Запросите новый.",
    "confirm_code_burned": "Попытки ввода этого кода закончились. Запросите новый.",
    "confirm_safety": "Никому не сообщайте этот код — даже тем, кто представляется сотрудником Ozon.",
    "code_label_sms": "Код из SMS",
    "code_label_call": "Код из звонка",
    "code_label_call_number": "Последние 6 цифр номера, с которого звонили",
    "code_placeholder": "6 цифр",
    # new-password
    "password_heading": "Новый пароль",
    "password_text": "Номер подтверждён. Осталось придумать новый пароль.",
    "password_advice": "Инструкция советует пароль с цифрами, буквами и специальными символами, но решают длина "
    "и непредсказуемость: тренажёр примет пароль не короче {minimum}, который трудно подобрать. "
    "Не берите пароль, который уже используете на других сайтах.",
    "password_words": "Несколько случайных слов подряд легко запомнить и трудно подобрать.",
    "password_label": "Новый пароль",
    # sign-in
    "signin_heading": "Вход",
    "signin_text": "Новый номер привязан, пароль сохранён. Войдите с новыми данными.",
    "signin_phone": "Телефон: {phone}",
    "signin_demo_password": "Пароль для демонстрации: {password}",
    "signin_label": "Пароль",
    "done_heading": "Вы в аккаунте",
    "done_text": "Поздравляем! Доступ к аккаунту восстановлен: теперь вы входите с номером {phone}.",
    "done_reminder": "Запомните или запишите новый номер и пароль и храните их в надёжном месте, например в менеджере паролей, — "
    "тогда в будущем со входом не будет проблем.",
    # contact-support
    "support_heading": "Нет доступа к почте",
    "support_text": "В тренажёре без доступа к почте восстановить аккаунт самостоятельно нельзя. "
    "Обратитесь в службу поддержки Ozon — только через официальное приложение или сайт.",
    "support_questions": "Поддержка может задать дополнительные вопросы, чтобы убедиться, что аккаунт ваш. "
    "Но никому не сообщайте коды из SMS и пароли — даже сотрудникам поддержки.",
    "support_prepare": "Что подготовить заранее:",
}

BUTTONS: dict[str, str] = {
    "open_app": "Открыть Ozon",
    "sign_out": "Выход",
    "forgot_password": "Забыли пароль?",
    "submit_email": "Отправить письмо",
    "no_email_access": "Нет доступа к почте",
    "resend_letter": "Отправить письмо ещё раз",
    "submit_phone": "Продолжить",
    "choose_sms": "Получить код по SMS",
    "choose_call": "Получить код звонком",
    "choose_call_number": "Получить звонок с кодом в номере",
    "submit_code": "Подтвердить",
    "resend_code_sms": "Отправить код ещё раз",
    "resend_code_call": "Позвонить ещё раз",
    "resend_code_call_number": "Позвонить ещё раз с другого номера",
    "submit_password": "Сохранить пароль",
    "sign_in": "Войти",
    "back": "Назад",
    "back_inbox": "Изменить адрес",
    "back_confirm": "Изменить номер",
    "back_support": "Вернуться к вводу почты",
    "restart": "Пройти ещё раз",
}


def screen(key: str, **fields: object) -> str:
    """A text of the simulated screen."""
    return SCREENS[key].format(**fields)


# --- the widget's own texts (web/widget.js, bridge.js, worker.mjs) --------------------
# The browser files hold no Russian: the build writes these in (sitebuild/build.py), so the
# widget can speak before Python is up. ``{time}`` is filled by the page as ``m:ss``.

UI: dict[str, str] = {
    # frame
    "app_name": "Магазин · учебный экран",
    "tab_title": "{step} — {page}",
    "guide_current": "сейчас в тренажёре",
    "screen_region": "Экран магазина (учебный)",
    "back": "← Назад",
    "restart": "Начать сначала",
    "steps_progress": "Пройдено шагов",
    "button_wait": "{label} через {time}",
    "jump_inbox": "↓ Почта",
    "jump_device": "↓ Телефон",
    "jump_count": "{label} ({n})",
    # mailbox, phone
    "inbox_region": "Почта (учебная)",
    "inbox_empty": "Писем пока нет.",
    "device_region": "Телефон (учебный)",
    "device_heading": "Телефон с новым номером (учебный)",
    "device_empty": "Сообщений и звонков пока нет.",
    "latest_label": "Последнее на телефоне",
    "latest_letter": "Последнее письмо",
    "sms_meta": "SMS · {sender}",
    "call_meta": "Входящий звонок · {caller}",
    # time
    "clock_region": "Время в тренажёре",
    "clock_now": "В тренажёре сейчас {clock}",
    "ticks_label": "Перемотать время в тренажёре",
    "ticks_hint": "Время в тренажёре идёт как настоящее. Кнопки ниже сдвигают его вперёд, "
    "чтобы не ждать, пока закончится ожидание или истечёт срок кода или ссылки. "
    "Эти сроки и паузы — тренажёра: у Ozon они могут быть другими.",
    "timers_none": "Сейчас ничего не отсчитывается.",
    "timer_link": "Ссылка из письма действует ещё {time}",
    "timer_letter_resend": "Письмо можно отправить повторно через {time}",
    "timer_code": "Код действует ещё {time}",
    "timer_code_resend": "Новый код можно запросить через {time}",
    "timer_sign_in": "Вход снова откроется через {time}",
    # fields
    "email_fix": "Исправить на {address}",
    "reveal_show": "Показать",
    "reveal_hide": "Скрыть",
    "meter_label": "Надёжность пароля",
    "strength": "Надёжность: {name}",
    "crack_time": "Если базу паролей украдут, подбор займёт {time}.",
    "checklist_label": "Что проверяет тренажёр",
    # loading
    "launch_text": "Тренажёр работает прямо в браузере. Чтобы запустить его, браузер один раз загрузит около {size}.",
    "launch_step": "После запуска откроется {where}: {title}.",
    "launch": "Запустить тренажёр",
    "progress_label": "Загрузка тренажёра",
    "progress_preparing": "Подготовка…",
    "progress_bytes": "Загрузка тренажёра: {loaded} из {total} МБ",
    "progress_download": "Загрузка тренажёра…",
    "progress_boot": "Запуск тренажёра…",
    "progress_import": "Подготовка тренажёра…",
    "wait_note": "Действие выполнится, как только тренажёр загрузится.",
    "wait_live": "Тренажёр ещё загружается. Действие выполнится, как только он будет готов.",
    "check_wait": "Проверка начнётся, как только тренажёр загрузится. Набранное не пропадёт.",
    # «Попробовать этот шаг» while the reader is mid-flow
    "switch_question": "Перейти к шагу «{title}»? Тренажёр откроет его с данными для примера, "
    "а то, что вы прошли сейчас ({where}), будет сброшено.",
    "switch_yes": "Перейти",
    "switch_no": "Остаться",
    # failures
    "retry": "Повторить",
    "continue": "Продолжить",
    "reload": "Обновить страницу",
    "guide_link": "Открыть пошаговую инструкцию",
    "lost": "Тренажёр перестал отвечать. Нажмите «Продолжить» — он перезапустится, и вы продолжите с того же места.",
    "lost_live": "Тренажёр перестал отвечать.",
    "failed": "Не удалось запустить тренажёр. Проверьте соединение и нажмите «Повторить». "
    "Инструкция на сайте работает и без тренажёра.",
    "scripts_failed": "Не удалось загрузить тренажёр. Проверьте соединение и обновите страницу. "
    "Пошаговая инструкция работает и без тренажёра.",
    "load_failed": "Не удалось загрузить файлы тренажёра. Проверьте соединение и нажмите «Повторить».",
    "worker_failed": "Не удалось запустить тренажёр. Проверьте соединение и нажмите «Повторить». "
    "Если не поможет, обновите браузер.",
    "no_wasm": "Тренажёр не может запуститься: в этом браузере недоступна технология WebAssembly. "
    "Обновите браузер или откройте страницу в другом. Инструкция работает и без тренажёра.",
    "no_worker": "Тренажёр не может запуститься в этом браузере. Обновите браузер или откройте "
    "страницу в другом. Инструкция работает и без тренажёра.",
    "start_failed": "Тренажёр не запустился. Нажмите «Повторить»; если не поможет, обновите страницу.",
    "crashed": "В тренажёре произошла внутренняя ошибка. Нажмите «Повторить», чтобы начать заново.",
    "internal_reply": "В тренажёре произошла внутренняя ошибка. Попробуйте ещё раз или обновите страницу.",
}

#: The fast-forward buttons: seconds and label.
TICKS: tuple[tuple[int, str], ...] = ((60, "+1 мин"), (300, "+5 мин"), (3600, "+1 ч"), (86400, "+24 ч"))

#: zxcvbn's score 0–4 in words, after «Надёжность:».
STRENGTH: tuple[str, ...] = ("очень низкая", "низкая", "средняя", "хорошая", "высокая")

#: What a letter says of its link once it no longer works.
LINK_STATUS: dict[str, str] = {
    "used": "Ссылка уже использована",
    "expired": "Срок действия ссылки истёк",
    "replaced": "Эта ссылка заменена новым письмом",
}


def ui(key: str, **fields: object) -> str:
    """A text of the widget; fields not given (``{time}``) stay for the page to fill."""
    text = UI[key]
    for name, value in fields.items():
        text = text.replace("{" + name + "}", str(value))
    return text


def where(number: int | None, total: int) -> str:
    """The step line: «Шаг 6 из 9», or the branch's name."""
    return f"Шаг {number} из {total}" if number else "Отдельный случай: нет доступа к почте"


def page_title(number: int | None, total: int, title: str) -> str:
    """What the tab's title on /simulator/ starts with (the page's own title follows)."""
    return f"{where(number, total)}. {title}"


def meta_line(who: str, time: str) -> str:
    """«Служба поддержки (демо) · 10:05» above a letter, an SMS or a call."""
    return f"{who} · {time}"


def download_size(transferred: int) -> str:
    """«7 МБ»: what the first start downloads, rounded to whole megabytes (at least 1)."""
    return f"{max(1, round(transferred / 1_000_000))} МБ"
