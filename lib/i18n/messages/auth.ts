import { defineMessages } from "../defineMessages";

/** The sign-in page, first-start setup and the signed-in header. */
export const authMessages = defineMessages({
  en: {
    "auth.signIn.title": "Sign in to StackPilot",
    "auth.signIn.intro": "This wizard holds root passwords for your servers, so it needs its own account.",
    "auth.setup.title": "Create the admin account",
    "auth.setup.intro": "This is the first start. Paste the one-time setup token the server printed in its console (it is also in the file setup-token in the data directory), then choose a user name and a password.",
    "auth.field.token": "Setup token",
    "auth.field.username": "User name",
    "auth.field.password": "Password",
    "auth.field.passwordRepeat": "Password again",
    "auth.passwordMismatch": "The two passwords differ.",
    "auth.passwordTooShort": "Choose a password of at least {min} characters.",
    "auth.submit.signIn": "Sign in",
    "auth.submit.setup": "Create account and sign in",
    "auth.submitting": "Checking…",
    "auth.signedInAs": "Signed in as {username}",
    "auth.signOut": "Sign out",
  },
  "zh-CN": {
    "auth.signIn.title": "登录 StackPilot",
    "auth.signIn.intro": "此向导保存着服务器的 root 密码，因此需要单独的账户。",
    "auth.setup.title": "创建管理员账户",
    "auth.setup.intro": "这是首次启动。请粘贴服务器在控制台中打印的一次性设置令牌（也保存在数据目录的 setup-token 文件中），然后选择用户名和密码。",
    "auth.field.token": "设置令牌",
    "auth.field.username": "用户名",
    "auth.field.password": "密码",
    "auth.field.passwordRepeat": "再次输入密码",
    "auth.passwordMismatch": "两次输入的密码不一致。",
    "auth.passwordTooShort": "请选择至少 {min} 个字符的密码。",
    "auth.submit.signIn": "登录",
    "auth.submit.setup": "创建账户并登录",
    "auth.submitting": "正在检查…",
    "auth.signedInAs": "已登录：{username}",
    "auth.signOut": "退出登录",
  },
});
